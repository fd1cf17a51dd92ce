/**
 * Jest setup file: no test may reach the network. Loopback stays open for the local simulators.
 * Add to a host's jest config as `setupFiles: ['@kycport/testing/jest/disable-net-connect']`.
 */
import nock from 'nock';

nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(host));
