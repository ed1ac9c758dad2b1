/** Sample user agent server (issue 6). */
package org.dtlsip.sample.uas;
