/** Audio for the samples: G.711 mu-law, a tone generator, tone analysis and a WAV writer. */
package org.dtlsip.media.audio;
