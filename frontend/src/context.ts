import { createContext } from 'react';
import { DEFAULT_CONFIG, type RuntimeConfig } from './config';

export const ConfigContext = createContext<RuntimeConfig>(DEFAULT_CONFIG);
