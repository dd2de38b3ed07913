// The app's keychain for team passwords (core/team/secrets.ts): entries encrypted by the OS
// keychain's cipher in a file of their own, never in the clear and never in the library. The
// cipher here is AES-256-GCM with a key of the test's own, in place of Electron's safeStorage
// (which needs the app); the file handling is what is tested.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  fileSecretStore,
  MAX_SECRETS_FILE_BYTES,
  memorySecretStore,
  type SecretCipher
} from '../../src/core/team/secrets'
import { secretKey } from '../../src/core/team/service-part'
import { tempDir } from '../helpers/corpus'

const t = tempDir('gleaner-team-secrets-')
afterAll(() => t.cleanup())

function aesCipher(available = true): SecretCipher {
  const key = randomBytes(32)
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return Buffer.concat([iv, c.getAuthTag(), body])
    },
    decryptString(data) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12))
      d.setAuthTag(data.subarray(12, 28))
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8')
    }
  }
}

const KEY = secretKey('postgres://analyst@db.example:5432/news')
const PASSWORD = 'pässwörd-秘密-42'

describe('file secret store', () => {
  it('keeps each password encrypted in its file, readable back, and removes it on delete', async () => {
    const file = join(t.dir, 'a', 'team-passwords.json')
    const cipher = aesCipher()
    const store = fileSecretStore(file, cipher)
    expect(await store.get(KEY)).toBeUndefined()
    await store.set(KEY, PASSWORD)
    await store.set('other', 'second')
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain('second')
    expect(statSync(file).mode & 0o077).toBe(0)
    // Another store on the same file (the app started again) reads it back.
    expect(await fileSecretStore(file, cipher).get(KEY)).toBe(PASSWORD)
    await store.delete(KEY)
    expect(await store.get(KEY)).toBeUndefined()
    expect(await store.get('other')).toBe('second')
  })

  it('refuses to save when the OS keychain cannot encrypt, and writes nothing', async () => {
    const file = join(t.dir, 'b.json')
    const store = fileSecretStore(file, aesCipher(false))
    await expect(store.set(KEY, PASSWORD)).rejects.toMatchObject({ code: 'keychain-unavailable' })
    expect(() => statSync(file)).toThrow()
  })

  it('says which file is damaged (not JSON, another shape, too big, another key) and keeps it', async () => {
    const file = join(t.dir, 'c.json')
    const store = fileSecretStore(file, aesCipher())
    for (const body of ['{not json', '{"version":2,"entries":{}}', '{"version":1,"entries":[1]}']) {
      writeFileSync(file, body)
      await expect(store.get(KEY)).rejects.toMatchObject({
        code: 'keychain-damaged',
        params: { path: file }
      })
      // Nothing is overwritten: the user may still recover it.
      await expect(store.set(KEY, PASSWORD)).rejects.toMatchObject({ code: 'keychain-damaged' })
      expect(readFileSync(file, 'utf8')).toBe(body)
    }
    writeFileSync(file, ' '.repeat(MAX_SECRETS_FILE_BYTES + 1))
    await expect(store.get(KEY)).rejects.toMatchObject({ code: 'keychain-damaged' })
    // Written under another account's key: it does not decrypt here.
    const other = join(t.dir, 'd.json')
    await fileSecretStore(other, aesCipher()).set(KEY, PASSWORD)
    await expect(fileSecretStore(other, aesCipher()).get(KEY)).rejects.toMatchObject({
      code: 'keychain-damaged'
    })
  })

  it('memory store keeps a password for this process only', async () => {
    const a = memorySecretStore()
    await a.set(KEY, PASSWORD)
    expect(await a.get(KEY)).toBe(PASSWORD)
    expect(await memorySecretStore().get(KEY)).toBeUndefined()
  })
})
