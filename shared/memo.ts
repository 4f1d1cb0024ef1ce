/**
 * A trait a memo is keyed by: a tenant's field as it is, so no key string is built per tenant, or
 * a list another memo shares (by identity).
 */
export type Trait = string | number | boolean | undefined | readonly unknown[];

/**
 * A per-plan memo keyed by a path of traits ('crm', 'salesforce', '58.0', …). Walking the path
 * looks up strings the tenant already holds, whose hashes V8 caches, instead of building and
 * hashing a key string for every tenant: in a 100k-tenant plan that garbage was most of the cost
 * of the memo. Paths of fixed-arity steps (kind, system, version per integration) are unambiguous.
 */
export class KeyTree<V> {
  /**
   * The first trait seen one step further and where it leads. Most nodes only ever see one (a
   * system has one version in most fleets), so they need no map and their step is one comparison.
   */
  private firstTrait: Trait = undefined;
  private first: KeyTree<V> | undefined = undefined;
  /** Every other trait, created on first use. */
  private others: Map<Trait, KeyTree<V>> | undefined = undefined;
  value: V | undefined = undefined;

  /** The node one step further along the path, created on first use. */
  at(trait: Trait): KeyTree<V> {
    if (!this.first) {
      this.firstTrait = trait;
      return (this.first = new KeyTree<V>());
    }
    if (sameTrait(trait, this.firstTrait)) return this.first;
    this.others ??= new Map();
    let next = this.others.get(trait);
    if (!next) {
      next = new KeyTree<V>();
      this.others.set(trait, next);
    }
    return next;
  }
}

/** Equality as a Map's keys have it (SameValueZero): NaN is NaN. */
function sameTrait(a: Trait, b: Trait): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
