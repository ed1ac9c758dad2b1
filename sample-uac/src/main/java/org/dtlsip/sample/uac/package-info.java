/** Sample user agent client (issue 6): calls, load, the message ladder, the demo and the transport comparison. */
package org.dtlsip.sample.uac;
