/**
 * Bearer API tokens. The principal a token resolves to is the actor of everything done with
 * it; a request body can never say who is acting. 401 = we do not know who you are,
 * 403 = we know, and your role may not do this.
 */
import type { RequestHandler } from 'express';
import type { TokenRole } from '../activities/store/records';
import type { AppStore } from '../activities/store/types';
import type { Actor } from '../shared/model/rollout';
import { ApiError } from './errors';

const HOW_TO_GET_ONE = 'create one with `ringmaster token create --name NAME --role ROLE`';

function unauthorized(message: string): ApiError {
  return new ApiError(401, 'unauthorized', message);
}

export function authenticate(store: AppStore): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="ringmaster"');
      throw unauthorized(`missing bearer token: send "Authorization: Bearer <token>" (${HOW_TO_GET_ONE})`);
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="ringmaster", error="invalid_request"');
      throw unauthorized('the Authorization header must be "Bearer <token>"');
    }
    const principal = await store.verifyToken(match[1]);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="ringmaster", error="invalid_token"');
      throw unauthorized(`the bearer token is unknown or revoked (${HOW_TO_GET_ONE})`);
    }
    const actor: Actor = { id: principal.name, role: principal.role };
    res.locals.actor = actor;
    req.log?.setBindings?.({ actor: actor.id, role: actor.role });
    next();
  };
}

export function requireRole(roles: readonly TokenRole[], action: string): RequestHandler {
  return (_req, res, next) => {
    const actor = res.locals.actor as Actor;
    if (!roles.includes(actor.role as TokenRole)) {
      throw new ApiError(403, 'forbidden', `${actor.id} has role ${actor.role}, which cannot ${action}; allowed roles: ${roles.join(', ')}`);
    }
    next();
  };
}
