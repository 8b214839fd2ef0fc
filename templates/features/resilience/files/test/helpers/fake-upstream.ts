import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type UpstreamHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Requests received so far. */
  hits: number;
  /** Method and headers of each request received. */
  requests: { method: string; headers: IncomingMessage['headers'] }[];
  /** Answers the next requests; each handler answers one, the last one every request after. */
  answer(...handlers: UpstreamHandler[]): void;
  close(): Promise<void>;
}

/** Answers with a JSON body. */
export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): UpstreamHandler =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

/** Never answers (until the test closes the server). */
export const hang: UpstreamHandler = () => {};

/** Drops the connection without an answer. */
export const reset: UpstreamHandler = (request) => {
  request.socket.destroy();
};

/** A real HTTP server on 127.0.0.1 that a test scripts, standing in for a service the API calls. */
export async function fakeUpstream(...handlers: UpstreamHandler[]): Promise<FakeUpstream> {
  let queue = handlers;
  const fake: FakeUpstream = {
    url: '',
    hits: 0,
    requests: [],
    answer: (...next) => {
      queue = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    fake.hits += 1;
    fake.requests.push({ method: request.method ?? '', headers: request.headers });
    const handler = queue.length > 1 ? queue.shift() : queue[0];
    request.resume();
    (handler ?? json(200, {}))(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
