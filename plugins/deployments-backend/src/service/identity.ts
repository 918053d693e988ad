import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  gitAuthorOf,
  NOREPLY_DOMAIN,
} from '@paved-road/plugin-paved-road-node';
import { GitIdentity } from '../repository/SettingsRepository';

/** The trailer naming the portal user behind a commit the portal wrote. */
export const ACTOR_TRAILER = 'Paved-Road-Actor';

/** `message` with the actor trailer appended. */
export function withActorTrailer(message: string, actor: string): string {
  return `${message.trim()}\n\n${ACTOR_TRAILER}: ${actor}\n`;
}

/** The actor a commit message names in its trailer, if any. */
export function actorFromMessage(message: string): string | undefined {
  const match = message.match(
    new RegExp(`^${ACTOR_TRAILER}:\\s*(\\S+)\\s*$`, 'm'),
  );
  return match?.[1];
}

/** The message a person wrote: without git trailers such as the actor. */
export function messageWithoutTrailers(message: string): string {
  return message
    .replace(/\n\n(?:[A-Za-z][A-Za-z0-9-]*: [^\n]*\n?)+\s*$/, '')
    .trim();
}

/**
 * Resolves users and commit authors through the catalog: a commit is
 * authored with the User entity's profile name and e-mail, and a commit
 * author is shown as the User whose profile has that e-mail.
 */
const NOREPLY_EMAIL = new RegExp(
  `^([A-Za-z0-9._-]+)@${NOREPLY_DOMAIN.replace(/\./g, '\\.')}$`,
);

export class Identities {
  constructor(
    private readonly catalog: CatalogService,
    private readonly logger: LoggerService,
  ) {}

  /** The git identity of a user; the ref's name when the profile has none. */
  async commitAuthor(
    userRef: string,
    credentials: BackstageCredentials,
  ): Promise<GitIdentity> {
    const user = await this.catalog
      .getEntityByRef(userRef, { credentials })
      .catch(error => {
        this.logger.warn(`Could not read ${userRef}: ${error}`);
        return undefined;
      });
    return gitAuthorOf(userRef, user);
  }

  /**
   * The User whose profile e-mail is the commit author's, else the author as
   * git shows it (`Name <email>`).
   */
  async userOfCommitAuthor(
    author: GitIdentity,
    credentials: BackstageCredentials,
  ): Promise<string> {
    if (author.email) {
      const { items } = await this.catalog.getEntities(
        {
          filter: { kind: 'User', 'spec.profile.email': author.email },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials },
      );
      if (items.length === 1) {
        return stringifyEntityRef(items[0]);
      }
      // The address commitAuthor makes up for a User without an e-mail.
      const madeUp = author.email.match(NOREPLY_EMAIL);
      if (madeUp) {
        const userRef = `user:default/${madeUp[1]}`;
        const user = await this.catalog
          .getEntityByRef(userRef, { credentials })
          .catch(() => undefined);
        if (user) {
          return stringifyEntityRef(user);
        }
      }
    }
    return `${author.name} <${author.email}>`;
  }
}
