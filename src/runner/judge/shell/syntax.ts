// mvdan-sh, the bash parser, loaded lazily (~150 ms), and the numbers of the operators the walk
// reads from its trees.

export type ShNode = any
export interface ShSyntax {
  NewParser(...options: unknown[]): { Parse(src: string, name: string): ShNode }
  Walk(node: ShNode, fn: (node: ShNode | null) => boolean): void
  NodeType(node: ShNode): string
}

let syntaxPromise: Promise<ShSyntax> | undefined

export function loadSyntax(): Promise<ShSyntax> {
  syntaxPromise ??= import('mvdan-sh' as string).then((m: any) => (m.default ?? m).syntax as ShSyntax)
  return syntaxPromise
}

// Operators of BinaryCmd and Redirect nodes (mvdan-sh's token numbers).
export const OP_PIPE = 12
export const OP_PIPE_ALL = 13
export const WRITE_REDIRECTS = new Set([54 /* > */, 55 /* >> */, 57 /* <> */, 60 /* >| */, 64 /* &> */, 65 /* &>> */])
export const REDIRECT_DUP_OUT = 59 /* >& */
export const REDIRECT_IN = 56 /* < */
export const HEREDOCS = new Set([61 /* << */, 62 /* <<- */])
export const HERESTRING = 63 /* <<< */
