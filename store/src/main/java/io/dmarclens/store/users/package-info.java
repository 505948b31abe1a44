/** Dashboard users, password hashes and API token digests ({@link io.dmarclens.store.users.Accounts}). */
package io.dmarclens.store.users;
