// Reading exports back with independent parsers: a DOCX's parts, and XML parsed strictly
// (XML 1.0 characters included, which fast-xml-parser's validator does not check).
import { SaxesParser } from 'saxes'
import yauzl from 'yauzl'

/** The entries of a zip file (a DOCX), as UTF-8 text. */
export async function unzip(path: string): Promise<Map<string, string>> {
  const bytes = await unzipBytes(path)
  return new Map([...bytes].map(([name, b]) => [name, b.toString('utf8')]))
}

/** Parses XML strictly; returns the first error, or null when it is well-formed. */
export function xmlError(xml: string): string | null {
  const parser = new SaxesParser()
  let error: string | null = null
  parser.on('error', (e) => {
    error ??= e.message
  })
  parser.write(xml).close()
  return error
}

/** The entries of a zip file (a DOCX), as bytes (its media). */
export function unzipBytes(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err)
      const files = new Map<string, Buffer>()
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks))
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(files))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}
