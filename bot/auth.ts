import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
// botbuilder's own dependency (same version): CloudAdapter answers 401 only for its AuthenticationError.
import { AuthenticationError, type AuthenticateRequestResult, type ClaimsIdentity } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { Logger } from './logger';

/**
 * Bot Framework authentication whose every failure is a 401, never a 500.
 *
 * botbuilder turns an AuthenticationError into 401, but any other error while checking a token
 * into 500 — and that is what happens when the signing keys cannot be fetched (OpenID metadata or
 * JWKS endpoint unreachable): a forged token then got 500. Such a request is answered 401, not
 * 503, on purpose: without the keys the token cannot be verified, and an unverified request is an
 * unauthenticated one whoever sent it; 401 is what every other authentication failure gets, so
 * the caller learns nothing about the bot's dependencies. The operator gets the reason in the
 * log instead (event `auth.keysUnavailable`). Nothing runs before authentication succeeds, so
 * nothing is stored or sent.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly log: Logger,
  ) {
    super(options);
  }

  override authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.guard(() => super.authenticateRequest(activity, authHeader));
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.guard(() => super.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.guard(() => super.authenticateChannelRequest(authHeader));
  }

  private async guard<T>(check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (err) {
      if (err instanceof AuthenticationError && !/Failed to load (openID config|Keys)/.test(err.message)) throw err;
      // The key endpoint did not answer (network error, or an error status): say so to the operator.
      const e = err as { name?: unknown; code?: unknown; message?: unknown };
      this.log.error({ event: 'auth.keysUnavailable', err: { name: e?.name, code: e?.code, message: String(e?.message ?? err).slice(0, 300) } }, 'could not fetch the Bot Framework signing keys: request refused as unauthenticated');
      throw new AuthenticationError('Unauthorized: the token could not be verified', 401);
    }
  }
}
