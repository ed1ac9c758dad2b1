/**
 * What the sample user agents share: transports, certificates, stack setup, one-line failures.
 */
package org.dtlsip.sample;
