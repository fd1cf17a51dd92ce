/**
 * Runs arethetypeswrong and publint over tarballs and prints one JSON report per tarball. Both tools
 * ship as ES modules only, so they run here, in one ES module process, rather than in the CommonJS
 * release check (or in jest). Usage: `node type-report.mjs '<json array of {tarball, root}>'`.
 * Offline: both read the tarball or its unpacked folder, nothing else.
 */
import { readFileSync } from 'node:fs';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import type { TypeReport, TypeReportRequest } from './type-checks.js';

async function reportOne(request: TypeReportRequest): Promise<TypeReport> {
  try {
    const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(request.tarball)));
    const analysis = await checkPackage(pkg);
    const manifest: unknown = JSON.parse(readFileSync(`${request.root}/package.json`, 'utf8'));
    const linted = await publint({ pkgDir: request.root, pack: false, level: 'suggestion', strict: true });
    return {
      tarball: request.tarball,
      types: analysis.types !== false,
      problems:
        analysis.types === false
          ? []
          : analysis.problems.map((problem) => ({
              ...problem,
              title: problemKindInfo[problem.kind].title,
            })),
      publint: linted.messages.map((message) => ({
        code: message.code,
        type: message.type,
        path: message.path.map(String),
        text: formatMessage(message, manifest as Record<string, unknown>, { color: false }) ?? message.code,
      })),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { tarball: request.tarball, types: false, problems: [], publint: [], error: reason };
  }
}

const requests = JSON.parse(process.argv[2] ?? '[]') as ReadonlyArray<TypeReportRequest>;
const reports: TypeReport[] = [];
for (const request of requests) reports.push(await reportOne(request));
process.stdout.write(JSON.stringify(reports));
