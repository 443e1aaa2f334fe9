export * from "./users";
export * from "./sessions";
export * from "./role-bindings";
export * from "./audit";
export * from "./tokens";
export * from "./environments";
