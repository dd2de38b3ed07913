// Commands as data: every action the window offers — by key, from the application menu, from
// a context menu or a button — is one entry here with its id, its label, its default keys and
// when it applies. Keys, the menu's menuCommand events and buttons all run the same entry, and
// `when` is checked every time, so a key can never act on a list that is not on screen (the
// list keys act on the search hits while they are shown, on the notes while those are shown,
// and never on a list that is hidden; in the trash they move and pick, and Delete asks before
// removing for good).
import type { AnnotationColor } from '../../../shared/annotation-types'
import { MENU_COMMANDS } from '../../../shared/api'
import type { MessageKey } from './i18n.svelte'
import type { Middle } from './scope.svelte'

/** What commands read and do; the window (App) provides it. */
export interface CommandHost {
  middle(): Middle
  /** A manual collection is shown as the list. */
  inCollection(): boolean
  /** Rows are picked (bulk actions apply to them). */
  hasPicks(): boolean
  /** An article is under the cursor, picked, or open. */
  hasTargets(): boolean
  focusSearch(): void
  move(delta: number): void
  extend(delta: number): void
  togglePick(): void
  clearPicks(): void
  selectAll(): void
  openCurrent(): void
  toggleStar(): void
  toggleRead(): void
  deleteTargets(): void
  removeFromCollection(): void
  moveInCollection(delta: -1 | 1): void
  editItemNote(): void
  /** Opens the bulk bar's collection choice (picking the cursor's row when nothing is picked). */
  collectTargets(): void
  /** Opens the bulk bar's tag field for the picked articles (or the cursor's). */
  tagTargets(): void
  undo(): void
  redo(): void
  toggleOriginal(): void
  textSize(step: -1 | 0 | 1): void
  importFiles(paths?: string[]): void
  exportBriefing(): void
  showKeys(): void
  /**
   * The library menu's dialogs: the change log, search synonyms, re-cleaning, backups, and
   * pairing the browser clipper.
   */
  showDialog(which: 'history' | 'synonyms' | 'reclean' | 'backups' | 'clipper'): void
  /** An article is open in the reader. */
  articleOpen(): boolean
  /** Text is selected in the reader's article (keys 1–5 highlight it). */
  readerSelection(): boolean
  /** A highlight waits to be re-attached and text is selected (Enter attaches it there). */
  readerAttaching(): boolean
  /** The reader has something Escape closes: a selection's bar, a highlight waiting to re-attach. */
  readerBusy(): boolean
  highlight(color: AnnotationColor): void
  attachSelection(): void
  dismissReader(): void
  findInArticle(): void
  /** The cursor in the list of notes (all notes, or those needing review). */
  moveNote(delta: number): void
  openNote(): void
  showNotes(): void
  showReview(): void
  /** In the trash: brings the picked articles (or the cursor's) back (undoable). */
  restoreTargets(): void
  /** In the trash: asks, then removes the picked articles (or the cursor's) for good. */
  deleteForever(): void
  /** In the trash: asks, then removes every article in it for good. */
  emptyTrash(): void
  /** A story's timeline is the list on screen. */
  storyShown(): boolean
  /** The shown story's name becomes a field. */
  renameStory(): void
  followStory(): void
  /** The picked articles of the shown story become a new story. */
  splitStory(): void
  /** Opens the choice of a story to merge the shown one into. */
  mergeStory(): void
}

/** Every command: the application menu's (shared/api.ts, which the shell sends) and the window's own. */
export const COMMAND_IDS = [
  ...MENU_COMMANDS,
  'extendDown',
  'extendUp',
  'togglePick',
  'clearPicks',
  'selectAll',
  'removeFromCollection',
  'moveItemUp',
  'moveItemDown',
  'editItemNote',
  'collect',
  'tag',
  'showKeys',
  'showHistory',
  'showSynonyms',
  'reclean',
  'showBackups',
  'pairClipper',
  'highlightYellow',
  'highlightGreen',
  'highlightBlue',
  'highlightPink',
  'highlightPurple',
  'attachSelection',
  'dismissReader',
  'findInArticle',
  'nextNote',
  'previousNote',
  'openNote',
  'showNotes',
  'showReview',
  'restoreArticles',
  'deleteForever',
  'emptyTrash',
  'renameStory',
  'followStory',
  'splitStory',
  'mergeStory'
] as const
export type CommandId = (typeof COMMAND_IDS)[number]

export interface Command {
  id: CommandId
  label: MessageKey
  /**
   * Default keys: 'Mod' is Ctrl (⌘ on macOS); letters are lower case, with 'Shift+' for capitals.
   * Keys without Mod or Alt never fire while the user types in a field.
   */
  keys: readonly string[]
  when(host: CommandHost): boolean
  run(host: CommandHost): void
  /**
   * Its Mod keys also fire in a text field. Others leave the field its own keys (Ctrl+Z undoes
   * typing there, Ctrl+A selects the field's text).
   */
  inFields?: boolean
}

const always = (): boolean => true
/** Rows of articles are on screen, to move over and pick: the list, search hits, the trash. */
const rowsShown = (h: CommandHost): boolean =>
  h.middle() === 'list' || h.middle() === 'search' || h.middle() === 'trash'
/** Rows of articles in the library are on screen (to open and edit): not the trash's. */
const libraryRows = (h: CommandHost): boolean => h.middle() === 'list' || h.middle() === 'search'
const trashShown = (h: CommandHost): boolean => h.middle() === 'trash'
const collectionShown = (h: CommandHost): boolean => h.middle() === 'list' && h.inCollection()
/** A list of annotations is on screen: all notes & highlights, or those needing review. */
const notesShown = (h: CommandHost): boolean => h.middle() === 'notes' || h.middle() === 'review'

const highlightWith = (
  id: CommandId,
  label: MessageKey,
  key: string,
  color: AnnotationColor
): Command => ({
  id,
  label,
  keys: [key],
  when: (h) => h.readerSelection(),
  run: (h) => h.highlight(color)
})

export const COMMANDS: readonly Command[] = [
  // The reader's selection comes first: while text is selected there, its keys are its own.
  highlightWith('highlightYellow', 'cmdHighlightYellow', '1', 'yellow'),
  highlightWith('highlightGreen', 'cmdHighlightGreen', '2', 'green'),
  highlightWith('highlightBlue', 'cmdHighlightBlue', '3', 'blue'),
  highlightWith('highlightPink', 'cmdHighlightPink', '4', 'pink'),
  highlightWith('highlightPurple', 'cmdHighlightPurple', '5', 'purple'),
  {
    id: 'attachSelection',
    label: 'attachHere',
    keys: ['Enter'],
    when: (h) => h.readerAttaching(),
    run: (h) => h.attachSelection()
  },
  {
    id: 'dismissReader',
    label: 'cmdDismissReader',
    keys: ['Escape'],
    when: (h) => h.readerBusy(),
    run: (h) => h.dismissReader()
  },
  {
    id: 'findInArticle',
    label: 'cmdFindInArticle',
    keys: ['h'],
    when: (h) => h.articleOpen(),
    run: (h) => h.findInArticle()
  },
  {
    id: 'nextNote',
    label: 'cmdNextNote',
    keys: ['j', 'ArrowDown'],
    when: notesShown,
    run: (h) => h.moveNote(1)
  },
  {
    id: 'previousNote',
    label: 'cmdPreviousNote',
    keys: ['k', 'ArrowUp'],
    when: notesShown,
    run: (h) => h.moveNote(-1)
  },
  {
    id: 'openNote',
    label: 'cmdOpenNote',
    keys: ['Enter', 'o'],
    when: notesShown,
    run: (h) => h.openNote()
  },
  {
    id: 'showNotes',
    label: 'cmdShowNotes',
    keys: ['Shift+n'],
    when: always,
    run: (h) => h.showNotes()
  },
  {
    id: 'showReview',
    label: 'cmdShowReview',
    keys: ['Shift+r'],
    when: always,
    run: (h) => h.showReview()
  },
  {
    id: 'find',
    inFields: true,
    label: 'cmdFind',
    keys: ['/', 'Mod+f'],
    when: always,
    run: (h) => h.focusSearch()
  },
  {
    id: 'nextArticle',
    label: 'cmdNext',
    keys: ['j', 'ArrowDown'],
    when: rowsShown,
    run: (h) => h.move(1)
  },
  {
    id: 'previousArticle',
    label: 'cmdPrevious',
    keys: ['k', 'ArrowUp'],
    when: rowsShown,
    run: (h) => h.move(-1)
  },
  {
    id: 'extendDown',
    label: 'cmdExtendDown',
    keys: ['Shift+j', 'Shift+ArrowDown'],
    when: rowsShown,
    run: (h) => h.extend(1)
  },
  {
    id: 'extendUp',
    label: 'cmdExtendUp',
    keys: ['Shift+k', 'Shift+ArrowUp'],
    when: rowsShown,
    run: (h) => h.extend(-1)
  },
  {
    id: 'togglePick',
    label: 'cmdTogglePick',
    keys: ['x'],
    when: rowsShown,
    run: (h) => h.togglePick()
  },
  {
    id: 'clearPicks',
    label: 'clearSelection',
    keys: ['Escape'],
    when: (h) => rowsShown(h) && h.hasPicks(),
    run: (h) => h.clearPicks()
  },
  {
    id: 'selectAll',
    label: 'cmdSelectAll',
    keys: ['Mod+a'],
    when: rowsShown,
    run: (h) => h.selectAll()
  },
  {
    id: 'openArticle',
    label: 'cmdOpen',
    keys: ['Enter', 'o'],
    when: libraryRows,
    run: (h) => h.openCurrent()
  },
  {
    id: 'toggleStar',
    label: 'cmdToggleStar',
    keys: ['s'],
    when: (h) => libraryRows(h) && h.hasTargets(),
    run: (h) => h.toggleStar()
  },
  {
    id: 'toggleRead',
    label: 'cmdToggleRead',
    keys: ['u'],
    when: (h) => libraryRows(h) && h.hasTargets(),
    run: (h) => h.toggleRead()
  },
  {
    // Inside a collection, Delete takes articles out of it (below); Shift+Delete always deletes.
    id: 'deleteArticles',
    label: 'cmdDelete',
    keys: ['Shift+Delete'],
    when: (h) => libraryRows(h) && h.hasTargets(),
    run: (h) => h.deleteTargets()
  },
  {
    id: 'removeFromCollection',
    label: 'removeFromCollection',
    keys: ['Delete', 'Backspace'],
    when: (h) => collectionShown(h) && h.hasTargets(),
    run: (h) => h.removeFromCollection()
  },
  {
    // Listed after removeFromCollection: outside a collection, Delete deletes.
    id: 'deleteArticles',
    label: 'cmdDelete',
    keys: ['Delete'],
    when: (h) => libraryRows(h) && !collectionShown(h) && h.hasTargets(),
    run: (h) => h.deleteTargets()
  },
  {
    id: 'moveItemUp',
    label: 'cmdMoveUp',
    keys: ['Alt+ArrowUp'],
    when: (h) => collectionShown(h) && h.hasTargets(),
    run: (h) => h.moveInCollection(-1)
  },
  {
    id: 'moveItemDown',
    label: 'cmdMoveDown',
    keys: ['Alt+ArrowDown'],
    when: (h) => collectionShown(h) && h.hasTargets(),
    run: (h) => h.moveInCollection(1)
  },
  {
    id: 'editItemNote',
    label: 'cmdItemNote',
    keys: ['n'],
    when: (h) => collectionShown(h) && h.hasTargets(),
    run: (h) => h.editItemNote()
  },
  {
    id: 'collect',
    label: 'addToCollection',
    keys: ['c'],
    when: (h) => libraryRows(h) && h.hasTargets(),
    run: (h) => h.collectTargets()
  },
  {
    id: 'tag',
    label: 'tagAction',
    keys: ['t'],
    when: (h) => libraryRows(h) && h.hasTargets(),
    run: (h) => h.tagTargets()
  },
  // Always offered: the core knows what is on the stack (the window's copy of it may be a
  // moment behind, right after an undo), and answers nothing when there is nothing.
  { id: 'undo', label: 'undo', keys: ['Mod+z'], when: always, run: (h) => h.undo() },
  { id: 'redo', label: 'redo', keys: ['Mod+Shift+z', 'Mod+y'], when: always, run: (h) => h.redo() },
  {
    id: 'toggleOriginal',
    inFields: true,
    label: 'cmdToggleOriginal',
    keys: ['Mod+Shift+o'],
    when: always,
    run: (h) => h.toggleOriginal()
  },
  {
    id: 'textLarger',
    inFields: true,
    label: 'larger',
    keys: ['Mod+='],
    when: always,
    run: (h) => h.textSize(1)
  },
  {
    id: 'textSmaller',
    inFields: true,
    label: 'smaller',
    keys: ['Mod+-'],
    when: always,
    run: (h) => h.textSize(-1)
  },
  {
    id: 'textReset',
    inFields: true,
    label: 'cmdTextReset',
    keys: ['Mod+0'],
    when: always,
    run: (h) => h.textSize(0)
  },
  {
    id: 'import',
    inFields: true,
    label: 'importPath',
    keys: ['Mod+o'],
    when: always,
    run: (h) => h.importFiles()
  },
  {
    id: 'export',
    inFields: true,
    label: 'exportAction',
    keys: ['Mod+e'],
    when: always,
    run: (h) => h.exportBriefing()
  },
  {
    id: 'showKeys',
    label: 'cmdShowKeys',
    keys: ['?', 'Shift+?'],
    when: always,
    run: (h) => h.showKeys()
  },
  {
    id: 'showHistory',
    label: 'menuHistory',
    keys: ['Shift+h'],
    when: always,
    run: (h) => h.showDialog('history')
  },
  {
    id: 'showSynonyms',
    label: 'menuSynonyms',
    keys: [],
    when: always,
    run: (h) => h.showDialog('synonyms')
  },
  {
    id: 'reclean',
    label: 'menuReclean',
    keys: [],
    when: always,
    run: (h) => h.showDialog('reclean')
  },
  {
    id: 'showBackups',
    label: 'menuBackups',
    keys: [],
    when: always,
    run: (h) => h.showDialog('backups')
  },
  {
    id: 'pairClipper',
    label: 'menuPairClipper',
    keys: ['Shift+p'],
    when: always,
    run: (h) => h.showDialog('clipper')
  },
  {
    id: 'restoreArticles',
    label: 'cmdRestore',
    keys: ['r'],
    when: (h) => trashShown(h) && h.hasTargets(),
    run: (h) => h.restoreTargets()
  },
  {
    // Asks first: it cannot be undone.
    id: 'deleteForever',
    label: 'cmdDeleteForever',
    keys: ['Delete', 'Shift+Delete', 'Backspace'],
    when: (h) => trashShown(h) && h.hasTargets(),
    run: (h) => h.deleteForever()
  },
  {
    id: 'emptyTrash',
    label: 'cmdEmptyTrash',
    keys: [],
    when: trashShown,
    run: (h) => h.emptyTrash()
  },
  {
    id: 'renameStory',
    label: 'cmdRenameStory',
    keys: ['F2'],
    when: (h) => h.storyShown(),
    run: (h) => h.renameStory()
  },
  {
    id: 'followStory',
    label: 'cmdFollowStory',
    keys: ['f'],
    when: (h) => h.storyShown(),
    run: (h) => h.followStory()
  },
  {
    id: 'splitStory',
    label: 'cmdSplitStory',
    keys: ['Shift+s'],
    when: (h) => h.storyShown() && h.hasPicks(),
    run: (h) => h.splitStory()
  },
  {
    id: 'mergeStory',
    label: 'cmdMergeStory',
    keys: ['Shift+m'],
    when: (h) => h.storyShown(),
    run: (h) => h.mergeStory()
  }
]

/** The key as the table writes it: 'Mod+Shift+z', 'Alt+ArrowUp', 'j', 'Shift+j', '/'. */
export function keyOf(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>
): string {
  let key = event.key
  const letter = /^[a-z]$/iu.test(key)
  if (letter) key = key.toLowerCase()
  const parts: string[] = []
  if (event.ctrlKey || event.metaKey) parts.push('Mod')
  if (event.altKey) parts.push('Alt')
  // Shift counts for letters and named keys; for symbols it is part of the character typed.
  if (event.shiftKey && (letter || key.length > 1)) parts.push('Shift')
  parts.push(key)
  return parts.join('+')
}

/**
 * The command a key runs now: the first entry with that key whose `when` holds. While the
 * user types in a field only Mod keys of commands marked inFields count.
 */
export function commandForKey(key: string, host: CommandHost, typing = false): Command | undefined {
  return COMMANDS.find(
    (c) =>
      c.keys.includes(key) &&
      (!typing || (c.inFields === true && key.startsWith('Mod+'))) &&
      c.when(host)
  )
}

/** Runs a command by id (the menu, a button), if it applies now; true when it ran. */
export function runCommand(id: CommandId, host: CommandHost): boolean {
  const command = COMMANDS.find((c) => c.id === id && c.when(host))
  if (!command) return false
  command.run(host)
  return true
}

/** The keys of a command for display (first key), e.g. in menus and the keys overlay. */
export function keysFor(id: CommandId): string[] {
  return [...new Set(COMMANDS.filter((c) => c.id === id).flatMap((c) => c.keys))]
}
