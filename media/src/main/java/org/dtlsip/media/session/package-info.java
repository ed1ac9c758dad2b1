/**
 * A DTLS-SRTP media session on one UDP port (RFC 5763, RFC 5764, RFC 7983 demultiplexing) and
 * the SDP it is negotiated with (RFC 8842 a=setup, RFC 8122 a=fingerprint).
 */
package org.dtlsip.media.session;
