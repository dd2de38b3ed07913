// Refusals of an export, with stable codes so the window and the CLI can say them in the
// user's language and the window can offer to replace (file-exists) instead of failing.
import { errorKind } from '../../shared/errors'

export type ExportErrorCode =
  /** The target exists (a file, or a folder that is not empty) and the request did not say to replace it. */
  | 'file-exists'
  /** The path's extension does not fit the format; params.expected is the one to use. */
  | 'wrong-extension'
  /** A file was to be written where a folder is. */
  | 'is-a-folder'
  /** A folder was needed (the Markdown folder, or a folder on the way) where a file is. */
  | 'not-a-folder'
  /** The system refused the write (disk full, no permission…); params.reason is its code. */
  | 'write-failed'
  | 'nothing-to-export'

export class ExportError extends errorKind<ExportErrorCode>('ExportError') {}
