import { validationError } from '../../api/errors';
import { Tenant } from '../../shared/model/tenant';

describe('validation errors of the API', () => {
  it('a field with several allowed shapes names them instead of "Invalid input"', () => {
    const parsed = Tenant.partial().safeParse({ sla: 'diamond' });
    if (parsed.success) throw new Error('expected a failure');
    const err = validationError(parsed.error, 'body');
    expect(err.issues).toEqual([{ path: 'body.sla', message: 'Invalid input: expected one of: standard, gold, platinum, or an object (key: value fields)' }]);
    expect(err.message).toBe('invalid request body: body.sla: Invalid input: expected one of: standard, gold, platinum, or an object (key: value fields)');
  });
});
