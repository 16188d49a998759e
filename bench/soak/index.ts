/** `npm run bench -- soak …`: the wall left open for a long while (bench/wall/soak.ts; see bench/README.md). */
export { main } from '../wall/soak.ts'
