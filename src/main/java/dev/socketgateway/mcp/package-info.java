/**
 * The MCP server at {@code /mcp}: the gateway's REST operations as tools for AI agents,
 * through the same controllers, policy, limits, audit and metrics.
 */
@NullMarked
package dev.socketgateway.mcp;

import org.jspecify.annotations.NullMarked;
