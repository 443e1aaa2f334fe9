/**
 * Type-level tie between a route's view type and its zod response schema: `Json<T>` is what
 * `Response.json(value: T)` puts on the wire (Dates become strings, undefined and functions
 * disappear, a property that may be undefined may be absent), and `Agrees<View, Schema>` is
 * `true` only when that and the schema's type are assignable both ways. Each generated schema
 * file lists an `Agrees` per route in a `Check<…>`, so `tsc` fails the moment a view changes
 * without its schema (regenerate: `node scripts/gen-response-schemas.mts`).
 */
import type { z } from "zod";

type Fn = (...args: never[]) => unknown;

/** A property that may be undefined may be absent from the JSON (but `unknown` stays as it is). */
type MayBeAbsent<V> = unknown extends V ? false : undefined extends V ? true : false;

type JsonObject<T> = {
  [K in keyof T as K extends string ? (MayBeAbsent<T[K]> extends true ? never : [Json<T[K]>] extends [never] ? never : K) : never]: Json<T[K]>;
} & {
  [K in keyof T as K extends string ? (MayBeAbsent<T[K]> extends true ? K : never) : never]?: Json<T[K]>;
};

/** A template literal (a UUID's `${string}-${string}-…`) is a string on the wire; a union of literals stays one. */
type JsonString<T extends string> = Record<never, never> extends Record<T, 1> ? string : T;

export type Json<T> = unknown extends T
  ? unknown
  : T extends Date
    ? string
    : T extends string
      ? JsonString<T>
      : T extends number | boolean | null
      ? T
      : T extends undefined | Fn | symbol | bigint
        ? never
        : T extends readonly [unknown, ...unknown[]]
          ? { -readonly [K in keyof T]: Json<T[K]> }
          : T extends readonly (infer U)[]
          ? Json<U>[]
          : T extends object
            ? Flat<JsonObject<T>>
            : unknown;

type Flat<T> = { [K in keyof T]: T[K] };

/** `true` when the JSON of View and the schema's type are assignable both ways; otherwise a message naming the failing direction. */
export type Agrees<View, Schema extends z.ZodType> = [Json<View>] extends [z.output<Schema>]
  ? [z.output<Schema>] extends [Json<View>]
    ? true
    : "the response schema lacks a field of the route's view, or allows more than it: run `node scripts/gen-response-schemas.mts`"
  : "the route's view has a field or value its response schema does not allow: run `node scripts/gen-response-schemas.mts`";

/** Refuses anything but `true`: `Check<Agrees<V, S>>` is a compile error naming the mismatch. */
export type Check<T extends true> = T;
