/**
 * Targets: named targets, ad-hoc host validation, the egress policy and name resolution.
 */
@NullMarked
package dev.socketgateway.egress;

import org.jspecify.annotations.NullMarked;
