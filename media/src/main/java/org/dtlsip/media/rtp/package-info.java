/** RTP data packets and RTCP reports (RFC 3550), and what a receiver counts about a source (appendix A). */
package org.dtlsip.media.rtp;
