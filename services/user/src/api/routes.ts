import { limitsBody, loginBody, parseInput, playerIdParam, registerBody, selfExclusionBody } from '@casino/shared';
import { Router } from 'express';
import { setDepositLimit, selfExclude } from '../use-cases/change-status';
import type { UserDeps } from '../use-cases/deps';
import { logIn } from '../use-cases/log-in';
import { readProfile } from '../use-cases/read-profile';
import { readStatus } from '../use-cases/read-status';
import { register } from '../use-cases/register';
import { userProblems } from './problems';

export function playerRoutes(deps: UserDeps): Router {
  const router = Router();

  router.post('/players', async (req, res) => {
    res.status(201).json(await register(deps, parseInput(registerBody, req.body)));
  });

  router.post('/sessions', async (req, res) => {
    res.json(await logIn(deps, parseInput(loginBody, req.body)));
  });

  router.get('/players/:playerId', async (req, res) => {
    res.json(await readProfile(deps, playerIdParam(req)));
  });

  router.get('/players/:playerId/status', async (req, res) => {
    res.json(await readStatus(deps, playerIdParam(req)));
  });

  router.put('/players/:playerId/limits', async (req, res) => {
    const id = playerIdParam(req);
    res.json(await setDepositLimit(deps, id, parseInput(limitsBody, req.body).dailyDepositLimit));
  });

  router.post('/players/:playerId/self-exclusion', async (req, res) => {
    const id = playerIdParam(req);
    res.json(await selfExclude(deps, id, parseInput(selfExclusionBody, req.body).days));
  });

  router.use(userProblems);
  return router;
}
