/** The platform's five services and the ports they listen on by default. */
export const SERVICES = ['gateway', 'user', 'game', 'payment', 'wager'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 8080,
  user: 8081,
  game: 8082,
  payment: 8083,
  wager: 8084,
};
