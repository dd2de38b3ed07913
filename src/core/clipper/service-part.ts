// The API's clipper methods (pairing, paired browsers) and what the loopback clip endpoint
// (src/host/clip-endpoint.ts) asks of the library: pair a code, take a clip, list the targets.
import { GleanerError } from '../../shared/errors'
import type { GleanerApi } from '../../shared/api'
import type { ClipperClient } from '../../shared/capture-types'
import type { CaptureContext } from '../capture/context'
import { categoryTree } from '../library/categories'
import { listCollections } from '../collections'
import type { CategoryNode } from '../../shared/types'
import { addClient, clientByToken, listClients, touchClient } from './clients'
import { takeClip } from './clip'
import { PairingCodes, newToken } from './pairing'
import type { ClipAnswer, ClipRequest, ClipTargets } from './request'

export type ClipperMethods = Pick<
  GleanerApi,
  'startClipperPairing' | 'listClipperClients' | 'revokeClipperClient'
>

export interface ClipperPart {
  methods: ClipperMethods
  /** Where this process's clip endpoint listens (null: none runs here, pairing is refused). */
  setEndpoint(url: string | null): void
  readonly endpoint: string | null
  /** Trades a one-time code for a token, recording the extension's Origin with it. */
  pair(
    code: string,
    origin: string,
    label: string
  ): Promise<{ token: string; client: ClipperClient }>
  /** The paired client a token and Origin belong to, or null: both must match. */
  authorize(token: string, origin: string): ClipperClient | null
  clip(client: ClipperClient, req: ClipRequest): Promise<ClipAnswer>
  /** Category paths and manual collections' names: never any article content. */
  targets(): ClipTargets
  stop(): void
}

function paths(nodes: CategoryNode[], out: string[][] = []): string[][] {
  for (const n of nodes) {
    out.push(n.path)
    paths(n.children, out)
  }
  return out
}

export function createClipperPart(ctx: CaptureContext): ClipperPart {
  const codes = new PairingCodes(() => ctx.now().getTime())
  let endpoint: string | null = null

  const part: ClipperPart = {
    methods: {
      async startClipperPairing() {
        if (!endpoint)
          throw new GleanerError(
            'clipper-endpoint-off',
            'the clip endpoint is not running in this process (the app or the web preview runs it; the port may be taken)'
          )
        const { code, expiresAt } = codes.issue()
        return { code, expiresAt: new Date(expiresAt).toISOString(), endpoint }
      },
      async listClipperClients() {
        return listClients(ctx.db)
      },
      async revokeClipperClient(id) {
        ctx.changes.run('revokeClipperClient', [id])
      }
    },
    setEndpoint(url) {
      endpoint = url
      if (!url) codes.clear()
    },
    get endpoint() {
      return endpoint
    },
    async pair(code, origin, label) {
      const check = codes.take(code)
      if (check === 'locked')
        throw new GleanerError(
          'pairing-locked',
          'too many wrong pairing codes: start pairing again in Gleaner for a new code'
        )
      if (check === 'wrong')
        throw new GleanerError(
          'pairing-code-wrong',
          'that pairing code is not the one Gleaner shows'
        )
      if (check === 'expired')
        throw new GleanerError(
          'pairing-code-expired',
          'that pairing code has expired: start pairing again in Gleaner for a new code'
        )
      const token = newToken()
      const client = addClient(ctx.db, {
        origin,
        label,
        token,
        pairedAt: ctx.now().toISOString()
      })
      // Announced (the pairing dialog's list follows it); not undoable: Revoke is the way back.
      ctx.changes.record('pairClipperClient', [{ id: client.id, origin }], {
        inverse: null,
        touched: {},
        summary: { name: origin }
      })
      return { token, client }
    },
    authorize(token, origin) {
      const client = clientByToken(ctx.db, token)
      return client && client.origin === origin ? client : null
    },
    async clip(client, req) {
      const answer = await takeClip(ctx, req)
      touchClient(ctx.db, client.id, ctx.now().toISOString())
      return answer
    },
    targets() {
      return {
        categories: paths(categoryTree(ctx.db)),
        collections: listCollections(ctx.db)
          .filter((c) => c.query === null)
          .map((c) => c.name)
      }
    },
    stop() {
      codes.clear()
      endpoint = null
    }
  }
  return part
}
