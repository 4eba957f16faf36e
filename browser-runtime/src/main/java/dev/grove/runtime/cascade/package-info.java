/**
 * Cascades (contract family {@code cascade}, see {@link dev.grove.pkg.CascadeConfig}): member packages consulted
 * smallest first, each answering when its confidence clears its threshold. {@link Cascade} routes an input through
 * loaded members, {@link MemberCost} is what running one member costs, and {@link ThresholdSearch} chooses thresholds on
 * validation data. Pure Java, compiled by TeaVM with the rest of the runtime: the routing decision is made from the
 * members' float probabilities, so the JVM and Wasm-GC builds route every input alike.
 */
package dev.grove.runtime.cascade;
