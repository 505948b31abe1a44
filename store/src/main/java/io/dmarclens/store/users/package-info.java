/** Dashboard users, password hashes, API token digests ({@link io.dmarclens.store.users.Accounts}), login sessions and failed-login counters. */
package io.dmarclens.store.users;
