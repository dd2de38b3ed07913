// The API's remote-image methods: who allowed an article's images, and keeping them in the
// library once allowed (fetched once, stored by content).
import { GleanerError } from '../../shared/errors'
import type { GleanerApi } from '../../shared/api'
import type { CaptureContext } from '../capture/context'

export type ImageMethods = Pick<GleanerApi, 'remoteImagePolicy' | 'setRemoteImages'>

export interface ImagesPart {
  methods: ImageMethods
  stop(): void
}

export function createImagesPart(ctx: CaptureContext): ImagesPart {
  void ctx
  const notBuilt = (): never => {
    throw new GleanerError('not-built', 'kept images are not built yet')
  }
  return {
    methods: {
      remoteImagePolicy: async () => notBuilt(),
      setRemoteImages: async () => notBuilt()
    },
    stop() {}
  }
}
