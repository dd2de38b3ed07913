// Where a host keeps team libraries' passwords (SecretStore): in the app, a file of entries
// encrypted by the OS keychain (Electron's safeStorage, handed in as a SecretCipher so that
// everything here runs and is tested on Node); in a one-shot command, memory only (the password
// a `team create` / `team join` URL carried, used for that command and never written down).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { GleanerError } from '../../shared/errors'
import type { SecretStore } from './service-part'

/** What the OS keychain offers: Electron's safeStorage has this shape. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

/** The app's file of encrypted passwords, in its settings folder (userData). */
export const TEAM_SECRETS_FILE = 'team-passwords.json'

/** The secrets file is read whole: a few entries of a few hundred bytes each, never more. */
export const MAX_SECRETS_FILE_BYTES = 256 * 1024
const MAX_ENTRIES = 200

interface SecretsFile {
  version: 1
  /** key → the encrypted password, base64. */
  entries: Record<string, string>
}

function damaged(file: string, why: string): GleanerError {
  return new GleanerError(
    'keychain-damaged',
    `The saved passwords file ${file} cannot be read (${why}). Remove it and enter the passwords again.`,
    { path: file }
  )
}

function readEntries(file: string): Record<string, string> {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw e
  }
  if (bytes.length > MAX_SECRETS_FILE_BYTES)
    throw damaged(file, `over ${MAX_SECRETS_FILE_BYTES} bytes`)
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw damaged(file, 'not JSON')
  }
  const p = parsed as Partial<SecretsFile>
  if (
    typeof p !== 'object' ||
    p === null ||
    p.version !== 1 ||
    typeof p.entries !== 'object' ||
    p.entries === null ||
    Array.isArray(p.entries) ||
    !Object.values(p.entries).every((v) => typeof v === 'string')
  )
    throw damaged(file, 'not a Gleaner passwords file')
  return { ...p.entries }
}

function unavailable(): GleanerError {
  return new GleanerError(
    'keychain-unavailable',
    'The system keychain cannot be used, so the password is not saved. Set PGPASSWORD or use ~/.pgpass.'
  )
}

/**
 * A SecretStore in `file`, each entry encrypted by `cipher` (the OS keychain's key): the file
 * holds no password in the clear, and the library file holds none at all.
 */
export function fileSecretStore(file: string, cipher: SecretCipher): SecretStore {
  const write = (entries: Record<string, string>): void => {
    mkdirSync(dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    const body: SecretsFile = { version: 1, entries }
    // Written aside and renamed: a crash leaves the old file or the new one, never half.
    writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 })
    renameSync(tmp, file)
  }
  return {
    async get(key) {
      const found = readEntries(file)[key]
      if (found === undefined) return undefined
      if (!cipher.isEncryptionAvailable()) throw unavailable()
      try {
        return cipher.decryptString(Buffer.from(found, 'base64'))
      } catch {
        throw damaged(file, `the entry for ${key} does not decrypt with this account's keychain`)
      }
    },
    async set(key, value) {
      if (!cipher.isEncryptionAvailable()) throw unavailable()
      const entries = readEntries(file)
      if (!(key in entries) && Object.keys(entries).length >= MAX_ENTRIES)
        throw new GleanerError('keychain-full', `At most ${MAX_ENTRIES} passwords are saved.`, {
          max: MAX_ENTRIES
        })
      entries[key] = cipher.encryptString(value).toString('base64')
      write(entries)
    },
    async delete(key) {
      const entries = readEntries(file)
      if (!(key in entries)) return
      delete entries[key]
      write(entries)
    }
  }
}

/** A SecretStore that keeps nothing beyond this process (a command's password from its URL). */
export function memorySecretStore(): SecretStore {
  const entries = new Map<string, string>()
  return {
    get: async (key) => entries.get(key),
    set: async (key, value) => void entries.set(key, value),
    delete: async (key) => void entries.delete(key)
  }
}
