import js from '@eslint/js'
import ts from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import svelteConfig from './svelte.config.js'

export default ts.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-results/', 'bench/.data/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ]
    }
  },
  {
    // Write transactions start with BEGIN IMMEDIATE (library/write-tx.ts): a deferred one that
    // reads first fails at once with "database is locked" when another process wrote meanwhile.
    files: ['src/**/*.ts'],
    ignores: ['src/core/library/write-tx.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: 'Use writeTx(db, fn) from core/library/write-tx.ts (BEGIN IMMEDIATE, retried).'
        }
      ]
    }
  },
  // The layers (README, "Architecture"): each may import only the layers below it. A relative
  // import that climbs into a layer it may not use fails the lint, and so `npm test`.
  ...layer('src/shared', ['core', 'host', 'main', 'web', 'cli', 'renderer', 'preload'], {
    node: false
  }),
  ...layer('src/core', ['host', 'main', 'web', 'cli', 'renderer', 'preload']),
  // Inside the core: storage knows nothing of how articles are read, cleaned, searched or
  // edited; search and the importer do not lean on each other (the importer's workers build
  // search documents with search/document only).
  ...layer('src/core/library', ['host', 'main', 'web', 'cli', 'renderer', 'preload'], {}, [
    'ingest',
    'clean',
    'extract',
    'search',
    'export',
    'annotations',
    'collections',
    'changes',
    'importer',
    'watch'
  ]),
  ...layer('src/core/search', ['host', 'main', 'web', 'cli', 'renderer', 'preload'], {}, [
    'importer',
    'export',
    'changes'
  ]),
  ...layer('src/host', ['main', 'web', 'cli', 'renderer', 'preload']),
  ...layer('src/cli', ['host', 'main', 'web', 'renderer', 'preload']),
  ...layer('src/web', ['main', 'cli', 'renderer', 'preload']),
  ...layer('src/main', ['web', 'cli', 'renderer', 'preload'], { electron: true }),
  ...layer('src/preload', ['core', 'host', 'main', 'web', 'cli', 'renderer'], {
    electron: true
  }),
  ...layer('src/renderer', ['core', 'host', 'main', 'web', 'cli', 'preload'], { node: false }),
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig }
    }
  }
)

/**
 * Lint settings for one layer: no relative import may climb into `forbidden` folders of src/,
 * no `electron` unless the layer is the shell's, no `node:` modules where there is no Node.
 */
function layer(dir, forbidden, { electron = false, node = true } = {}, siblings = []) {
  const patterns = [
    {
      regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
      message: `${dir} may not import from src/${forbidden.join(', src/')} (see README, Architecture).`
    }
  ]
  // Folders beside `dir` inside its own layer, reached by one '../'.
  if (siblings.length)
    patterns.push({
      regex: `^\\.\\./(${siblings.join('|')})(/|$)`,
      message: `${dir} may not import ${siblings.join(', ')} (see README, Architecture).`
    })
  if (!node) patterns.push({ group: ['node:*'], message: `${dir} runs where there is no Node.` })
  return [
    {
      files: [`${dir}/**/*.ts`, `${dir}/**/*.svelte`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns,
            paths: electron
              ? []
              : [
                  {
                    name: 'electron',
                    message: `${dir} never imports electron (the shell is src/main).`
                  }
                ]
          }
        ]
      }
    }
  ]
}
