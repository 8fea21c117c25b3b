/**
 * The n-plus-one scenario's list read, shared by the lists it affects (payment's transactions,
 * wager's bonus history): the classic ORM mistake of loading the page's ids with one query, then
 * each item with a query of its own, one after another. Same documents, same order as the single
 * `find` it replaces; N+1 round trips instead of one.
 */
import { scenarioApplied } from './marking';
import type { Collection, Document, Filter, Sort } from '../store';
import { withOperationHint } from '../store/operation-hint';

export async function findOneByOne<T extends Document>(
  collection: Collection<T>,
  filter: Filter,
  options: { sort: Sort; limit: number },
): Promise<T[]> {
  scenarioApplied('n-plus-one');
  const ids = await collection.aggregate<{ _id: string }>([
    { $match: filter },
    { $sort: options.sort },
    { $limit: options.limit },
    { $project: { _id: 1 } },
  ]);
  const items: T[] = [];
  // Each lookup's DB span carries the scenario too (embedded store), so the N spans are findable by it.
  const marked = { inSpan: () => scenarioApplied('n-plus-one') };
  for (const { _id } of ids) {
    const item = await withOperationHint(marked, () => collection.findOne({ _id }));
    if (item) items.push(item);
  }
  return items;
}
