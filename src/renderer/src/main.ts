import { mount } from 'svelte'
import App from './App.svelte'
import { connectBridge } from './lib/bridge'
import './styles/app.css'

const target = document.getElementById('app')
if (!target) throw new Error('index.html lacks #app')

const { bridge, kind } = connectBridge()
mount(App, { target, props: { bridge, bridgeKind: kind } })
