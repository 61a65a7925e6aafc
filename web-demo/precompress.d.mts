import type { Plugin } from "vite";
/** Writes .br and .gz copies of dist/'s assets after the build; `vite preview` serves them. */
export function precompressed(): Plugin;
export function compressDir(dir: string): void;
export function pickEncoding(file: string, acceptEncoding?: string): { encoding: string; file: string } | null;
