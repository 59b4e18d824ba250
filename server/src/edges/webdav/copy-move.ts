import { Conflict, Forbidden, PreconditionFailed } from '../../errors.js';
import { parseDepth, parseOverwrite } from '../dav/headers.js';
import { isUnder } from '../dav/locks.js';
import { allow, checkLocks, destinationOf, type Dav } from './context.js';
import { existing } from './read-methods.js';
import { lockPathOf } from './paths.js';
import { quotaAware } from './write-methods.js';

/**
 * COPY and MOVE (RFC 4918 §9.8, §9.9) to the Destination on this server: 201 when the destination was
 * new, 204 when an existing one was overwritten (Overwrite: T, the default; F → 412). The overwritten
 * entry goes to the trash first, as a DELETE would. A missing destination parent is 409; a source and
 * destination that are the same, or one inside the other, are 403. Dead properties travel with the
 * entry; locks do not (a copy is unlocked, a move leaves the source's locks behind and drops them).
 */
export async function copyOrMove(dav: Dav, move: boolean): Promise<unknown> {
  const source = existing(dav);
  const targetNames = destinationOf(dav);
  const depth = parseDepth(dav.request.headers.depth, move ? ['infinity'] : ['0', 'infinity'], 'infinity');
  const overwrite = parseOverwrite(dav.request.headers.overwrite);
  const from = dav.path;
  const to = lockPathOf(targetNames);
  if (from === to) throw new Forbidden('the source and the destination are the same');
  if (isUnder(to, from) || isUnder(from, to)) {
    throw new Forbidden('a collection cannot be copied or moved into itself, nor over its own parent');
  }
  const options = allow(dav, move ? 'PUT' : 'POST');
  if (!move) allow(dav, 'GET');
  const target = await dav.files.resolve(dav.scope, targetNames);
  if (!target.parent) throw new Conflict('the destination collection does not exist');
  if (target.entry && !overwrite) {
    throw new PreconditionFailed('the destination exists and Overwrite is F');
  }
  if (move) await checkLocks(dav, dav.names, { deep: true, member: true });
  await checkLocks(dav, targetNames, { deep: target.entry !== null, member: true });
  if (target.entry) {
    await dav.files.trash(dav.scope, target.entry._id, options);
    await dav.locks.removeUnder(to);
  }
  const name = targetNames.at(-1)!;
  if (move) {
    await dav.files.update(dav.scope, source._id, { name, dir_id: target.parent._id }, options);
    await dav.locks.removeUnder(from);
  } else {
    await quotaAware(
      dav.files.copy(dav.scope, source._id, target.parent._id, name, {
        ...options,
        deep: depth === 'infinity',
      }),
    );
  }
  return dav.reply.code(target.entry ? 204 : 201).send();
}
