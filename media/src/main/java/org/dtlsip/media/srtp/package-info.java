/**
 * SRTP and SRTCP (RFC 3711) with the AES-CM/HMAC-SHA1 and AES-GCM (RFC 7714) protection profiles
 * that DTLS-SRTP negotiates (RFC 5764 4.1.2), keyed from the DTLS exporter (RFC 5764 4.2).
 */
package org.dtlsip.media.srtp;
