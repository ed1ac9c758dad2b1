/** JAIN-SIP transport "DTLS-UDP" over the dtls module (issue 5). */
package org.dtlsip.sip;
