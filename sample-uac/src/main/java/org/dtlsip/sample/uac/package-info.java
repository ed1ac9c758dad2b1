/** Sample user agent client (issue 6). */
package org.dtlsip.sample.uac;
