import {
  isSecretReference,
  parseSecretReferences,
  secretsAlsoInEnvironment,
} from '../../../actions/run-migration/secret-references.js';

const MASTER = 'arn:aws:secretsmanager:us-east-1:853463362083:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';
const PARAMETER = 'arn:aws:ssm:us-east-1:853463362083:parameter/startupwebapp/superuser-email';

describe('isSecretReference', () => {
  it.each([
    MASTER,
    `${MASTER}:superuser_password::`,
    `${MASTER}:superuser_password:AWSCURRENT:`,
    'arn:aws-us-gov:secretsmanager:us-gov-west-1:853463362083:secret:db-AbCdEf',
    PARAMETER,
  ])('accepts %s', (arn) => expect(isSecretReference(arn)).toBe(true));

  it.each([
    'hunter2',
    'rds/startupwebapp/multi-tenant/master',
    'arn:aws:s3:::startupwebapp-frontend-production/key',
    'arn:aws:secretsmanager:us-east-1:8534633620:secret:short-account',
    'arn:aws:secretsmanager:us-east-1:853463362083:secret:',
    `${MASTER} trailing`,
    'arn:aws:ssm:us-east-1:853463362083:parameter/',
  ])('refuses %s', (value) => expect(isSecretReference(value)).toBe(false));
});

describe('parseSecretReferences', () => {
  it('reads NAME=ARN lines, skipping blanks and comments', () => {
    const text = `# superuser\nDJANGO_SUPERUSER_PASSWORD=${MASTER}:superuser_password::\n\n  DJANGO_SUPERUSER_EMAIL = ${PARAMETER}\n`;
    expect(parseSecretReferences('secrets', text)).toEqual([
      { name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: `${MASTER}:superuser_password::` },
      { name: 'DJANGO_SUPERUSER_EMAIL', valueFrom: PARAMETER },
    ]);
    expect(parseSecretReferences('secrets', '')).toEqual([]);
  });

  it('refuses a value that is not an ARN, naming the input and the line, never repeating the value, and hides it', () => {
    const hidden: string[] = [];
    const parse = () =>
      parseSecretReferences('secrets', `A=${PARAMETER}\nDJANGO_SUPERUSER_PASSWORD=hunter2-secret`, (t) =>
        hidden.push(t),
      );
    expect(parse).toThrow(
      "Input 'secrets' line 2 (DJANGO_SUPERUSER_PASSWORD) must be a Secrets Manager or SSM parameter ARN (arn:aws:secretsmanager:… or arn:aws:ssm:…), not a value; the value given is not shown",
    );
    expect(() => parse()).toThrow(expect.objectContaining({ name: 'InputError' }) as Error);
    expect(hidden).toContain('hunter2-secret');
    try {
      parse();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('refuses a line without a variable name, without showing it', () => {
    const hidden: string[] = [];
    expect(() => parseSecretReferences('secrets', 'hunter2-secret', (t) => hidden.push(t))).toThrow(
      /^Input 'secrets' line 1 must be NAME=ARN with NAME a variable name \(the line is not shown/,
    );
    expect(() => parseSecretReferences('secrets', `1ABC=${MASTER}`)).toThrow(/line 1 must be NAME=ARN/);
    expect(hidden).toEqual(['hunter2-secret']);
  });

  it('refuses an empty value and a name set twice', () => {
    expect(() => parseSecretReferences('secrets', 'A=')).toThrow(/line 1 \(A\) must be a Secrets Manager/);
    expect(() => parseSecretReferences('secrets', `A=${MASTER}\nA=${PARAMETER}`)).toThrow(
      "Input 'secrets' sets 'A' more than once",
    );
  });
});

describe('secretsAlsoInEnvironment', () => {
  it('names secrets that are also plain variables of the container or of the environment input', () => {
    const secrets = [
      { name: 'DATABASE_NAME', valueFrom: PARAMETER },
      { name: 'DJANGO_SUPERUSER_EMAIL', valueFrom: PARAMETER },
      { name: 'OTHER', valueFrom: PARAMETER },
    ];
    expect(
      secretsAlsoInEnvironment(secrets, [{ name: 'DJANGO_SETTINGS_MODULE' }], [{ name: 'DATABASE_NAME' }]),
    ).toEqual(['DATABASE_NAME']);
    expect(secretsAlsoInEnvironment(secrets, [])).toEqual([]);
  });
});
