// Vite asset imports used by the renderer (the project's tsconfig does not load vite/client).
declare module '*?url' {
  const url: string
  export default url
}
