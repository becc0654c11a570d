// An election with a day, of three bureaux that have inscrits (08:00
// opening, 12:00 and 17:00 counts), imported into a journey's own server by
// the organisers' command line: for the journeys of the day.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OwnServer } from './own-server';

export const ELECTION = {
  id: 'jour-e2e',
  name: 'Primaire de la journée',
  round: 1,
  date: '2027-01-22',
  mode: 'test',
  candidates: [
    { id: 'moreau', panel: 1, name: 'Camille Moreau' },
    { id: 'bertrand', panel: 2, name: 'Jules Bertrand' },
    { id: 'lefevre', panel: 3, name: 'Inès Lefèvre' },
    { id: 'garnier', panel: 4, name: 'Noah Garnier' },
  ],
  bureaux: [
    { code: 'J-001', name: 'École du Centre', commune: 'Beauval', inscrits: 2500 },
    { code: 'J-002', name: 'Mairie', commune: 'Beauval', inscrits: 1200 },
    { code: 'J-003', name: 'Foyer rural', commune: 'Les Essarts', inscrits: 900 },
  ],
  day: {
    time_zone: 'Europe/Paris',
    checkpoints: [
      { id: 'ouverture', kind: 'opening', due: '2027-01-22T08:00:00+01:00' },
      { id: '12h', kind: 'count', due: '2027-01-22T12:00:00+01:00' },
      { id: '17h', kind: 'count', due: '2027-01-22T17:00:00+01:00' },
    ],
  },
};

/** The election imported by the organisers' command line; its codes' CSV. */
export function importElection(server: OwnServer): string {
  const file = join(server.dataDir, 'jour.json');
  writeFileSync(file, JSON.stringify(ELECTION));
  execFileSync(process.env.POINTAGE_SERVER_BIN!, [
    'election', 'import', file, '--data-dir', server.dataDir, '--base-url', server.url,
  ]);
  return join(server.dataDir, `codes-${ELECTION.id}.csv`);
}
