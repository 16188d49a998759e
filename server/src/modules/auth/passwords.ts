import { hash, verify } from '@node-rs/argon2'

/** Argon2id with the library's defaults (19 MiB, 2 passes): the OWASP-recommended floor. */
export const hashPassword = (password: string) => hash(password)

/** Constant-time check; a malformed stored hash counts as a mismatch, never a crash. */
export async function passwordMatches(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}
