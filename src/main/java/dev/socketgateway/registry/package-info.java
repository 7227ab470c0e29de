/**
 * What sessions and listeners share as tracked resources: ids, creation order, a cap on
 * how many are open, page cursors, and forgetting closed ones after a retention time.
 */
@NullMarked
package dev.socketgateway.registry;

import org.jspecify.annotations.NullMarked;
