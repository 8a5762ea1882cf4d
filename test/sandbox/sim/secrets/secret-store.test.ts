import { SecretStore } from '../../../../sandbox/sim/secrets/secret-store.js';

const MASTER = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';
const PARAMETER = 'arn:aws:ssm:us-east-1:123456789012:parameter/startupwebapp/superuser-email';

describe('the simulator’s secret store', () => {
  const store = new SecretStore();
  store.putSecret(MASTER, { password: 'db-pw', superuser_password: 'su-pw' });
  store.putParameter(PARAMETER, 'admin@example.com');

  it('resolves a whole secret, a JSON key of it, and a parameter', () => {
    expect(store.resolve(MASTER)).toEqual({ ok: true, value: '{"password":"db-pw","superuser_password":"su-pw"}' });
    expect(store.resolve(`${MASTER}:superuser_password::`)).toEqual({ ok: true, value: 'su-pw' });
    expect(store.resolve(`${MASTER}:password:AWSCURRENT:`)).toEqual({ ok: true, value: 'db-pw' });
    expect(store.resolve(PARAMETER)).toEqual({ ok: true, value: 'admin@example.com' });
  });

  it('fails as ECS does when the secret, its key or the parameter is missing', () => {
    expect(store.resolve(MASTER.replace('AbCdEf', 'XyZxYz'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^ResourceInitializationError: .*ResourceNotFoundException: Secrets Manager can't find/,
      ),
    });
    expect(store.resolve(`${MASTER}:superuser_email::`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/did not contain json key superuser_email$/),
    });
    expect(store.resolve(`${PARAMETER}-old`)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ParameterNotFound/),
    });
    expect(store.resolve('hunter2')).toMatchObject({ ok: false });
  });

  it('lists every value it holds, JSON keys included', () => {
    expect(store.values()).toEqual(expect.arrayContaining(['db-pw', 'su-pw', 'admin@example.com']));
  });
});
