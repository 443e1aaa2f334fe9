/** Every operation defined with defineOperation, so a test can enumerate them. */
export interface RegisteredOperation {
  readonly action: string;
  readonly permission: string;
  readonly transactional: boolean;
}

const operations: RegisteredOperation[] = [];

export function registerOperation(op: RegisteredOperation): void {
  operations.push(op);
}

export function registeredOperations(): readonly RegisteredOperation[] {
  return operations;
}
