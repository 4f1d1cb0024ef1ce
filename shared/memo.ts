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
  /** Created on first use: most nodes are leaves. */
  private children: Map<Trait, KeyTree<V>> | undefined = undefined;
  value: V | undefined = undefined;

  /** The node one step further along the path, created on first use. */
  at(trait: Trait): KeyTree<V> {
    this.children ??= new Map();
    let next = this.children.get(trait);
    if (!next) {
      next = new KeyTree<V>();
      this.children.set(trait, next);
    }
    return next;
  }
}
