// The team server error a promise rejects with (a test's way to look at its code and params);
// any other rejection, or none, fails the test.
import { TeamServerError } from '../../src/core/team/server'

export async function errorOf(p: Promise<unknown>): Promise<TeamServerError> {
  try {
    await p
  } catch (err) {
    if (err instanceof TeamServerError) return err
    throw err
  }
  throw new Error('no error')
}
