/**
 * Release of versions: the policy ({@link dev.grove.node.release.ReleasePolicy}) and rules that promote a version from
 * its evidence (anonymous reports, evaluations), the evaluator that decides and logs it, and the release routes and
 * reads other packages render.
 */
package dev.grove.node.release;
