// Test helpers: a host in memory. Not part of the library's runtime surface.
export { limitsText, mapHost } from './testing/map-host.js';
export { badHost, hostTree } from './testing/host-tree.js';
