/**
 * Builds the guest images the tests boot (the tiny guest and its self-booting disk, then debian-12
 * by debootstrap) into
 * the guest cache, or finds them there. `.ci/run` starts it in the background before the suite,
 * so a machine's first (cold) debootstrap overlaps type-checking, lint and the unit and database
 * tests instead of stalling the first Debian test; the tests that need an image wait on the
 * build's lock and then read the same cache entry.
 */
import { ensureDebianGuest, ensureTinyBootableDisk, ensureTinyGuest } from "@layerboom/guests";

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

const tiny = await ensureTinyGuest();
console.log(`tiny guest ready after ${seconds()} s: ${tiny.dir}`);
const bootable = await ensureTinyBootableDisk();
console.log(`tiny bootable disk ready after ${seconds()} s: ${bootable.path}`);
const debian = await ensureDebianGuest({ onProgress: (line) => console.log(`debootstrap: ${line}`) });
console.log(`debian-12 guest ready after ${seconds()} s: ${debian.dir}`);
