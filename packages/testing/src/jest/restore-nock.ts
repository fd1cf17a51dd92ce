/**
 * Jest `setupFilesAfterEnv` file: nock patches node's http module, which jest shares between the
 * test files of one worker. Without a restore, a file's interceptors (and its disabled net connect)
 * would outlive it and break the next file. Each file starts from `disable-net-connect` again.
 */
import nock from 'nock';

afterAll(() => {
  nock.cleanAll();
  nock.restore();
});
