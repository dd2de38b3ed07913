// The API's clipper methods (pairing, paired browsers) and what the loopback clip endpoint
// (src/host/clip-endpoint.ts) asks of the library: pair a code, take a clip.
import { GleanerError } from '../../shared/errors'
import type { GleanerApi } from '../../shared/api'
import type { CaptureContext } from '../capture/context'

export type ClipperMethods = Pick<
  GleanerApi,
  'startClipperPairing' | 'listClipperClients' | 'revokeClipperClient'
>

export interface ClipperPart {
  methods: ClipperMethods
  stop(): void
}

export function createClipperPart(ctx: CaptureContext): ClipperPart {
  void ctx
  const notBuilt = (): never => {
    throw new GleanerError('not-built', 'the clipper is not built yet')
  }
  return {
    methods: {
      startClipperPairing: async () => notBuilt(),
      listClipperClients: async () => notBuilt(),
      revokeClipperClient: async () => notBuilt()
    },
    stop() {}
  }
}
