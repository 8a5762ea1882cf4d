import { plainSecrets } from '../../../actions/run-migration/plain-secrets.js';

const PARAMETER = 'arn:aws:ssm:us-east-1:123456789012:parameter/startupwebapp/superuser';

describe('plainSecrets', () => {
  const polluted = [
    { name: 'DJANGO_SETTINGS_MODULE', value: 'StartupWebApp.settings_production' },
    { name: 'DJANGO_SUPERUSER_USERNAME', value: 'admin' },
    { name: 'DJANGO_SUPERUSER_EMAIL', value: 'admin@example.com' },
    { name: 'DJANGO_SUPERUSER_PASSWORD', value: 'plain-pw' },
    { name: 'CACHE_URL', value: 'redis://user:pw@cache:6379/0' },
    { name: 'DB_SECRET_NAME', value: 'rds/startupwebapp/multi-tenant/master' },
  ];
  it('names the plain variables a reference replaces, and the secret-looking ones left (names only)', () => {
    const secrets = ['USERNAME', 'EMAIL', 'PASSWORD'].map((key) => ({
      name: `DJANGO_SUPERUSER_${key}`,
      valueFrom: PARAMETER,
    }));
    const plain = plainSecrets(secrets, polluted);
    expect(plain).toEqual({
      replaced: ['DJANGO_SUPERUSER_USERNAME', 'DJANGO_SUPERUSER_EMAIL', 'DJANGO_SUPERUSER_PASSWORD'],
      kept: ['CACHE_URL'],
    });
    expect(JSON.stringify(plain)).not.toMatch(/plain-pw|user:pw/);
  });
  it('without references: every plain value under a secret-looking name, none replaced', () => {
    expect(plainSecrets([], polluted)).toEqual({ replaced: [], kept: ['DJANGO_SUPERUSER_PASSWORD', 'CACHE_URL'] });
    expect(plainSecrets([], [{ name: 'DATABASE_NAME', value: 'x' }])).toEqual({ replaced: [], kept: [] });
  });
});
