// Stored with every article. Bump whenever cleaning output can change for the same input, so
// the library knows which articles to re-clean and annotations know which text they anchor to.
export const CLEANER_VERSION: number = 8
